/**
 * A real PNG (RGB, 8-bit) of the given size whose pixels come from a seeded generator, so it hardly compresses
 * and a small chunk size gives several upload segments. Media probing on the server reads its real dimensions.
 */
import { encodePng } from '@roost/dev-env';

export function makePng(width: number, height: number, seed = 1): Buffer {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) & 0xff;
  };
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let row = 0; row < height; row++) {
    const at = row * (width * 3 + 1);
    raw[at] = 0; // filter: none
    for (let i = 1; i <= width * 3; i++) raw[at + i] = next();
  }
  return encodePng(width, height, 2, raw);
}
