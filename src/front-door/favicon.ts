/** Berth's icon, drawn here: a white B on a navy tile, 16 by 16. */
const ART = [
  '................',
  '..############..',
  '.##############.',
  '.###WWWWWWW####.',
  '.###WW####WW###.',
  '.###WW####WW###.',
  '.###WW####WW###.',
  '.###WWWWWWW####.',
  '.###WW####WW###.',
  '.###WW####WW###.',
  '.###WW####WW###.',
  '.###WW####WW###.',
  '.###WWWWWWW####.',
  '.##############.',
  '..############..',
  '................',
];

/** Red, green, blue, alpha. */
const COLOURS: Record<string, readonly [number, number, number, number]> = {
  '.': [0, 0, 0, 0],
  '#': [0x1f, 0x4e, 0x79, 0xff],
  W: [0xff, 0xff, 0xff, 0xff],
};

/**
 * Encodes pixel art as an ICO file holding one 32-bit bitmap: the format
 * every browser asks /favicon.ico for, small enough to build on start.
 */
export function encodeIcon(art: readonly string[]): Buffer {
  const size = art.length;
  const pixels = Buffer.alloc(size * size * 4);
  // Bitmap rows run bottom to top, each pixel as blue, green, red, alpha.
  art.forEach((row, y) =>
    [...row].forEach((cell, x) => {
      const [red, green, blue, alpha] = COLOURS[cell];
      pixels.set([blue, green, red, alpha], ((size - 1 - y) * size + x) * 4);
    }),
  );
  // The 1-bit transparency mask that follows, rows padded to 32 bits: all clear, as the alpha channel decides.
  const mask = Buffer.alloc(Math.ceil(size / 32) * 4 * size);
  const bitmapHeader = Buffer.alloc(40);
  bitmapHeader.writeUInt32LE(40, 0);
  bitmapHeader.writeInt32LE(size, 4);
  // Twice the height: the colours and the mask, one above the other.
  bitmapHeader.writeInt32LE(size * 2, 8);
  bitmapHeader.writeUInt16LE(1, 12);
  bitmapHeader.writeUInt16LE(32, 14);
  bitmapHeader.writeUInt32LE(pixels.length + mask.length, 20);
  const image = Buffer.concat([bitmapHeader, pixels, mask]);
  const directory = Buffer.alloc(22);
  directory.writeUInt16LE(1, 2); // an icon, not a cursor
  directory.writeUInt16LE(1, 4); // one image
  directory.writeUInt8(size, 6);
  directory.writeUInt8(size, 7);
  directory.writeUInt16LE(1, 10);
  directory.writeUInt16LE(32, 12);
  directory.writeUInt32LE(image.length, 14);
  directory.writeUInt32LE(directory.length, 18);
  return Buffer.concat([directory, image]);
}

export const FAVICON = encodeIcon(ART);
