/**
 * The demo's item catalog: unbounded, generated, and the same on every run and every server. Ids
 * are positive integers; in each block of 100 consecutive ids exactly 3 do not exist (chosen by a
 * hash of the block), so `GET /api/items/:id` over arbitrary ids 404s on exactly 3% of them, and
 * always on the same ones. List pages contain existing items only, so an id taken from a page
 * never 404s.
 */

import { hash32 } from './random.js';

export interface Item {
  readonly id: number;
  readonly name: string;
  readonly price: number;
}

export const PAGE_SIZE = 20;
const BLOCK = 100;
const MISSING_PER_BLOCK = 3;
const PRESENT_PER_BLOCK = BLOCK - MISSING_PER_BLOCK;

const ADJECTIVES = [
  'Amber', 'Brisk', 'Copper', 'Dusty', 'Electric', 'Frosted', 'Golden', 'Hollow', 'Indigo', 'Jade',
  'Keen', 'Lunar', 'Misty', 'Noble', 'Olive', 'Polar', 'Quiet', 'Rustic', 'Silver', 'Tidal',
];
const NOUNS = [
  'Anvil', 'Beacon', 'Compass', 'Drum', 'Easel', 'Flask', 'Gadget', 'Hammock', 'Inkwell', 'Jar',
  'Kettle', 'Lantern', 'Mug', 'Notebook', 'Oar', 'Pillow', 'Quill', 'Ruler', 'Satchel', 'Teapot',
];

/** The three missing offsets (0..99) of a block, ascending. */
function missingOffsets(block: number): [number, number, number] {
  const a = hash32(block, 1) % BLOCK;
  let b = hash32(block, 2) % BLOCK;
  while (b === a) b = (b + 1) % BLOCK;
  let c = hash32(block, 3) % BLOCK;
  while (c === a || c === b) c = (c + 1) % BLOCK;
  const sorted = [a, b, c].sort((x, y) => x - y);
  return [sorted[0]!, sorted[1]!, sorted[2]!];
}

/** True when `id` names an item (a positive safe integer outside the 3% gaps). */
export function itemExists(id: number): boolean {
  if (!Number.isSafeInteger(id) || id < 1) return false;
  const block = Math.floor((id - 1) / BLOCK);
  const offset = (id - 1) % BLOCK;
  return !missingOffsets(block).includes(offset);
}

function makeItem(id: number): Item {
  const h = hash32(id, 7);
  const name = `${ADJECTIVES[h % ADJECTIVES.length]!} ${NOUNS[(h >>> 8) % NOUNS.length]!}`;
  const price = (((h >>> 16) % 20000) + 99) / 100;
  return { id, name, price };
}

/** The item with this id, or null when it does not exist. */
export function catalogItem(id: number): Item | null {
  return itemExists(id) ? makeItem(id) : null;
}

/** The id of the `index`-th existing item (0-based). */
function existingId(index: number): number {
  const block = Math.floor(index / PRESENT_PER_BLOCK);
  let offset = index % PRESENT_PER_BLOCK;
  for (const missing of missingOffsets(block)) if (missing <= offset) offset++;
  return block * BLOCK + offset + 1;
}

/** Page `page` (1-based) of the catalog: always exactly PAGE_SIZE existing items. */
export function catalogPage(page: number): Item[] {
  const items: Item[] = [];
  const first = (page - 1) * PAGE_SIZE;
  for (let i = 0; i < PAGE_SIZE; i++) items.push(makeItem(existingId(first + i)));
  return items;
}
