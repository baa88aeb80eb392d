/**
 * Where-On-Earth ids of the demo world's places (Yahoo's WOEIDs, which X's trends still take). A town covers its
 * own place and the places inside it; a country covers every place of its country code; 1 is the whole world
 * (every post, geo-tagged or not).
 */
import { PLACES } from './places.js';

export interface Woeid {
  woeid: number;
  name: string;
  /** The place full names it covers (towns), or a country code (countries); null for the world. */
  places: readonly string[] | null;
  countryCode: string | null;
}

const town = (woeid: number, name: string, ...places: string[]): Woeid => ({ woeid, name, places, countryCode: null });
const country = (woeid: number, name: string, countryCode: string): Woeid => ({ woeid, name, places: null, countryCode });

export const WOEIDS: readonly Woeid[] = [
  { woeid: 1, name: 'Worldwide', places: null, countryCode: null },
  town(2459115, 'New York', 'Manhattan, NY', 'Brooklyn, NY'),
  town(2487956, 'San Francisco', 'San Francisco, CA', 'Mission District, San Francisco', 'Golden Gate Park'),
  town(2442047, 'Los Angeles', 'Los Angeles, CA'),
  town(2490383, 'Seattle', 'Seattle, WA'),
  town(2357536, 'Austin', 'Austin, TX'),
  town(2379574, 'Chicago', 'Chicago, IL'),
  town(2367105, 'Boston', 'Boston, MA'),
  town(4118, 'Toronto', 'Toronto, Ontario'),
  town(44418, 'London', 'London, England'),
  town(28218, 'Manchester', 'Manchester, England'),
  town(560743, 'Dublin', 'Dublin City, Ireland'),
  town(1105779, 'Sydney', 'Sydney, New South Wales'),
  town(2295420, 'Bangalore', 'Bengaluru, India'),
  town(1398823, 'Lagos', 'Lagos, Nigeria'),
  town(1118370, 'Tokyo', 'Shibuya-ku, Tokyo', 'Minato-ku, Tokyo'),
  town(15015370, 'Osaka', 'Osaka-shi, Osaka'),
  town(15015372, 'Kyoto', 'Kyoto-shi, Kyoto'),
  town(1117099, 'Fukuoka', 'Fukuoka-shi, Fukuoka'),
  town(766273, 'Madrid', 'Madrid, Comunidad de Madrid'),
  town(753692, 'Barcelona', 'Barcelona, Cataluña'),
  town(116545, 'Mexico City', 'Ciudad de México, México'),
  town(468739, 'Buenos Aires', 'Buenos Aires, Argentina'),
  town(368148, 'Bogotá', 'Bogotá, D.C., Colombia'),
  town(455827, 'São Paulo', 'São Paulo, Brasil'),
  town(455825, 'Rio de Janeiro', 'Rio de Janeiro, Brasil'),
  town(742676, 'Lisbon', 'Lisboa, Portugal'),
  town(615702, 'Paris', 'Paris, France', 'Tour Eiffel'),
  town(609125, 'Lyon', 'Lyon, France'),
  town(3534, 'Montreal', 'Montréal, Québec'),
  town(638242, 'Berlin', 'Berlin, Deutschland'),
  town(676757, 'Munich', 'München, Bayern'),
  town(656958, 'Hamburg', 'Hamburg, Deutschland'),
  town(551801, 'Vienna', 'Wien, Österreich'),
  country(23424977, 'United States', 'US'),
  country(23424775, 'Canada', 'CA'),
  country(23424975, 'United Kingdom', 'GB'),
  country(23424803, 'Ireland', 'IE'),
  country(23424748, 'Australia', 'AU'),
  country(23424848, 'India', 'IN'),
  country(23424908, 'Nigeria', 'NG'),
  country(23424856, 'Japan', 'JP'),
  country(23424950, 'Spain', 'ES'),
  country(23424900, 'Mexico', 'MX'),
  country(23424747, 'Argentina', 'AR'),
  country(23424787, 'Colombia', 'CO'),
  country(23424768, 'Brazil', 'BR'),
  country(23424925, 'Portugal', 'PT'),
  country(23424819, 'France', 'FR'),
  country(23424829, 'Germany', 'DE'),
  country(23424750, 'Austria', 'AT'),
];

/** The place ids a WOEID covers, or null for the whole world; undefined for a WOEID the world does not know. */
export function placeIdsOf(woeid: number): string[] | null | undefined {
  const w = WOEIDS.find((x) => x.woeid === woeid);
  if (!w) return undefined;
  if (w.countryCode) return PLACES.filter((p) => p.countryCode === w.countryCode).map((p) => p.id);
  if (!w.places) return null;
  return PLACES.filter((p) => w.places!.includes(p.fullName)).map((p) => p.id);
}
