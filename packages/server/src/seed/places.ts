import type { PlaceRow } from '../data/rows.js';
import type { Lang } from './vocab.js';

/**
 * The fixed place catalogue of the demo world (independent of the seed). Bounding boxes are approximate real
 * ones, [west, south, east, north] as X's `geo.bbox`. Ids are 16 hex digits like X's; Manhattan keeps the id
 * X's documentation uses, the rest are derived from the full name so they never change.
 */
interface PlaceSpec {
  fullName: string;
  name: string;
  country: string;
  countryCode: string;
  placeType: 'city' | 'admin' | 'country' | 'poi' | 'neighborhood';
  bbox: [number, number, number, number];
  lang: Lang;
  id?: string;
}

const SPECS: PlaceSpec[] = [
  { id: '01a9a39529b27f36', fullName: 'Manhattan, NY', name: 'Manhattan', country: 'United States', countryCode: 'US', placeType: 'city', bbox: [-74.026675, 40.683935, -73.910408, 40.877483], lang: 'en' },
  { fullName: 'Brooklyn, NY', name: 'Brooklyn', country: 'United States', countryCode: 'US', placeType: 'city', bbox: [-74.041878, 40.570842, -73.855673, 40.739434], lang: 'en' },
  { fullName: 'San Francisco, CA', name: 'San Francisco', country: 'United States', countryCode: 'US', placeType: 'city', bbox: [-122.514926, 37.708075, -122.357031, 37.833238], lang: 'en' },
  { fullName: 'Los Angeles, CA', name: 'Los Angeles', country: 'United States', countryCode: 'US', placeType: 'city', bbox: [-118.668404, 33.704538, -118.155409, 34.337041], lang: 'en' },
  { fullName: 'Seattle, WA', name: 'Seattle', country: 'United States', countryCode: 'US', placeType: 'city', bbox: [-122.436232, 47.495315, -122.224973, 47.734319], lang: 'en' },
  { fullName: 'Austin, TX', name: 'Austin', country: 'United States', countryCode: 'US', placeType: 'city', bbox: [-97.928935, 30.127892, -97.5805, 30.518799], lang: 'en' },
  { fullName: 'Chicago, IL', name: 'Chicago', country: 'United States', countryCode: 'US', placeType: 'city', bbox: [-87.940033, 41.644102, -87.523993, 42.023067], lang: 'en' },
  { fullName: 'Boston, MA', name: 'Boston', country: 'United States', countryCode: 'US', placeType: 'city', bbox: [-71.191421, 42.227797, -70.986004, 42.399542], lang: 'en' },
  { fullName: 'California, USA', name: 'California', country: 'United States', countryCode: 'US', placeType: 'admin', bbox: [-124.482003, 32.528832, -114.131211, 42.009517], lang: 'en' },
  { fullName: 'Mission District, San Francisco', name: 'Mission District', country: 'United States', countryCode: 'US', placeType: 'neighborhood', bbox: [-122.42688, 37.74754, -122.40556, 37.76971], lang: 'en' },
  { fullName: 'Golden Gate Park', name: 'Golden Gate Park', country: 'United States', countryCode: 'US', placeType: 'poi', bbox: [-122.5111, 37.7655, -122.4531, 37.7744], lang: 'en' },
  { fullName: 'Toronto, Ontario', name: 'Toronto', country: 'Canada', countryCode: 'CA', placeType: 'city', bbox: [-79.639319, 43.580996, -79.115633, 43.855401], lang: 'en' },
  { fullName: 'London, England', name: 'London', country: 'United Kingdom', countryCode: 'GB', placeType: 'city', bbox: [-0.510375, 51.28676, 0.334015, 51.691874], lang: 'en' },
  { fullName: 'Manchester, England', name: 'Manchester', country: 'United Kingdom', countryCode: 'GB', placeType: 'city', bbox: [-2.319934, 53.400017, -2.147026, 53.544593], lang: 'en' },
  { fullName: 'Dublin City, Ireland', name: 'Dublin City', country: 'Ireland', countryCode: 'IE', placeType: 'city', bbox: [-6.3873, 53.2987, -6.1145, 53.4111], lang: 'en' },
  { fullName: 'Sydney, New South Wales', name: 'Sydney', country: 'Australia', countryCode: 'AU', placeType: 'city', bbox: [150.520929, -34.118347, 151.343021, -33.578141], lang: 'en' },
  { fullName: 'Bengaluru, India', name: 'Bengaluru', country: 'India', countryCode: 'IN', placeType: 'city', bbox: [77.4601, 12.8340, 77.7840, 13.1436], lang: 'en' },
  { fullName: 'Lagos, Nigeria', name: 'Lagos', country: 'Nigeria', countryCode: 'NG', placeType: 'city', bbox: [3.0982, 6.3936, 3.6969, 6.7027], lang: 'en' },
  { fullName: 'United States', name: 'United States', country: 'United States', countryCode: 'US', placeType: 'country', bbox: [-179.231086, 13.182335, 179.859681, 71.434357], lang: 'en' },
  { fullName: 'Shibuya-ku, Tokyo', name: 'Shibuya-ku', country: 'Japan', countryCode: 'JP', placeType: 'city', bbox: [139.661552, 35.641498, 139.723441, 35.683432], lang: 'ja' },
  { fullName: 'Minato-ku, Tokyo', name: 'Minato-ku', country: 'Japan', countryCode: 'JP', placeType: 'city', bbox: [139.708462, 35.62221, 139.783483, 35.682766], lang: 'ja' },
  { fullName: 'Osaka-shi, Osaka', name: 'Osaka-shi', country: 'Japan', countryCode: 'JP', placeType: 'city', bbox: [135.354187, 34.574548, 135.588516, 34.776496], lang: 'ja' },
  { fullName: 'Kyoto-shi, Kyoto', name: 'Kyoto-shi', country: 'Japan', countryCode: 'JP', placeType: 'city', bbox: [135.559282, 34.876838, 135.880403, 35.321154], lang: 'ja' },
  { fullName: 'Fukuoka-shi, Fukuoka', name: 'Fukuoka-shi', country: 'Japan', countryCode: 'JP', placeType: 'city', bbox: [130.247001, 33.491421, 130.495048, 33.711491], lang: 'ja' },
  { fullName: 'Japan', name: 'Japan', country: 'Japan', countryCode: 'JP', placeType: 'country', bbox: [122.93457, 24.045416, 153.986672, 45.522785], lang: 'ja' },
  { fullName: 'Madrid, Comunidad de Madrid', name: 'Madrid', country: 'España', countryCode: 'ES', placeType: 'city', bbox: [-3.888954, 40.312071, -3.517916, 40.643518], lang: 'es' },
  { fullName: 'Barcelona, Cataluña', name: 'Barcelona', country: 'España', countryCode: 'ES', placeType: 'city', bbox: [2.052477, 41.317045, 2.228115, 41.468068], lang: 'es' },
  { fullName: 'Ciudad de México, México', name: 'Ciudad de México', country: 'México', countryCode: 'MX', placeType: 'city', bbox: [-99.364924, 19.048237, -98.940303, 19.592757], lang: 'es' },
  { fullName: 'Buenos Aires, Argentina', name: 'Buenos Aires', country: 'Argentina', countryCode: 'AR', placeType: 'city', bbox: [-58.531452, -34.705637, -58.335134, -34.526551], lang: 'es' },
  { fullName: 'Bogotá, D.C., Colombia', name: 'Bogotá, D.C.', country: 'Colombia', countryCode: 'CO', placeType: 'city', bbox: [-74.223514, 4.470348, -74.010018, 4.836535], lang: 'es' },
  { fullName: 'São Paulo, Brasil', name: 'São Paulo', country: 'Brasil', countryCode: 'BR', placeType: 'city', bbox: [-46.826039, -24.008814, -46.365052, -23.356792], lang: 'pt' },
  { fullName: 'Rio de Janeiro, Brasil', name: 'Rio de Janeiro', country: 'Brasil', countryCode: 'BR', placeType: 'city', bbox: [-43.795449, -23.08302, -43.087707, -22.739823], lang: 'pt' },
  { fullName: 'Lisboa, Portugal', name: 'Lisboa', country: 'Portugal', countryCode: 'PT', placeType: 'city', bbox: [-9.229835, 38.691393, -9.086992, 38.795963], lang: 'pt' },
  { fullName: 'Paris, France', name: 'Paris', country: 'France', countryCode: 'FR', placeType: 'city', bbox: [2.224101, 48.815521, 2.469921, 48.902146], lang: 'fr' },
  { fullName: 'Lyon, France', name: 'Lyon', country: 'France', countryCode: 'FR', placeType: 'city', bbox: [4.771849, 45.707485, 4.898393, 45.808352], lang: 'fr' },
  { fullName: 'Montréal, Québec', name: 'Montréal', country: 'Canada', countryCode: 'CA', placeType: 'city', bbox: [-73.974074, 45.410246, -73.476014, 45.705087], lang: 'fr' },
  { fullName: 'Tour Eiffel', name: 'Tour Eiffel', country: 'France', countryCode: 'FR', placeType: 'poi', bbox: [2.2933, 48.8572, 2.2957, 48.8595], lang: 'fr' },
  { fullName: 'Berlin, Deutschland', name: 'Berlin', country: 'Deutschland', countryCode: 'DE', placeType: 'city', bbox: [13.088333, 52.338242, 13.760469, 52.675379], lang: 'de' },
  { fullName: 'München, Bayern', name: 'München', country: 'Deutschland', countryCode: 'DE', placeType: 'city', bbox: [11.360781, 48.061596, 11.722879, 48.248216], lang: 'de' },
  { fullName: 'Hamburg, Deutschland', name: 'Hamburg', country: 'Deutschland', countryCode: 'DE', placeType: 'city', bbox: [9.73031, 53.395208, 10.325959, 53.738634], lang: 'de' },
  { fullName: 'Wien, Österreich', name: 'Wien', country: 'Österreich', countryCode: 'AT', placeType: 'city', bbox: [16.181831, 48.117907, 16.577513, 48.322668], lang: 'de' },
  { fullName: 'Bayern, Deutschland', name: 'Bayern', country: 'Deutschland', countryCode: 'DE', placeType: 'admin', bbox: [8.975926, 47.270124, 13.83966, 50.56474], lang: 'de' },
];

/** 64-bit FNV-1a of the name, as 16 lower-case hex digits. */
function placeId(name: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of Buffer.from(name, 'utf8')) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

export interface Place extends PlaceRow {
  lang: Lang;
}

export const PLACES: readonly Place[] = SPECS.map((s) => ({
  id: s.id ?? placeId(s.fullName),
  fullName: s.fullName,
  name: s.name,
  country: s.country,
  countryCode: s.countryCode,
  placeType: s.placeType,
  bbox: s.bbox,
  containedWithin: null,
  lang: s.lang,
}));

export function placeRow(p: Place): PlaceRow {
  const { lang: _lang, ...row } = p;
  return row;
}
