// The Xvfb screen as a PNG: Xvfb -fbdir keeps the framebuffer in an XWD file
// (Xvfb_screen0); this reads it and encodes a PNG with no dependencies. Used for
// screenshots of the whole display, independent of the WebDriver session.

import { readFileSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Encode RGB rows (width*3 bytes each) as a PNG buffer. */
export function encodePng(width, height, rgb) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    rgb.copy(raw, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const shiftOf = (mask) => {
  let s = 0;
  while (mask && !(mask & 1)) {
    mask >>>= 1;
    s++;
  }
  return s;
};

/** Convert an XWD file (ZPixmap, 24/32 bits per pixel, TrueColor) to a PNG file. */
export function xwdToPng(xwdPath, pngPath) {
  const b = readFileSync(xwdPath);
  const h = (i) => b.readUInt32BE(i * 4);
  const headerSize = h(0);
  const [format, width, height, byteOrder, bpp, bytesPerLine] = [h(2), h(4), h(5), h(7), h(11), h(12)];
  const [rMask, gMask, bMask, ncolors] = [h(14), h(15), h(16), h(19)];
  if (format !== 2 || (bpp !== 32 && bpp !== 24)) throw new Error(`unsupported XWD (format ${format}, ${bpp} bpp)`);
  const data = headerSize + ncolors * 12;
  const bytes = bpp / 8;
  const [rs, gs, bs] = [shiftOf(rMask), shiftOf(gMask), shiftOf(bMask)];
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = data + y * bytesPerLine + x * bytes;
      let px;
      if (bytes === 4) px = byteOrder === 0 ? b.readUInt32LE(o) : b.readUInt32BE(o);
      else px = byteOrder === 0 ? b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) : (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
      const i = (y * width + x) * 3;
      rgb[i] = (px & rMask) >>> rs;
      rgb[i + 1] = (px & gMask) >>> gs;
      rgb[i + 2] = (px & bMask) >>> bs;
    }
  }
  writeFileSync(pngPath, encodePng(width, height, rgb));
  return pngPath;
}
