import type { User } from 'cicada-load';

interface FeedPage {
  readonly items: readonly { id: number; name: string }[];
  readonly next: string | null;
}

/** Follows `next` links from the first page to the last; stops at a failed page. */
export async function readFeed(u: User): Promise<void> {
  let next: string | null = '/api/feed?page=1';
  let items = 0;
  while (next !== null) {
    // One row for every page: the page number is left out of the name.
    const res = await u.get(next, { name: '/api/feed?page=[n]', check: { status: 200, json: { '$.items': 'exists' } } });
    if (!res.ok) return;
    const page = res.json<FeedPage>();
    items += page.items.length;
    next = page.next;
  }
  u.state.itemsRead = ((u.state.itemsRead as number | undefined) ?? 0) + items;
}
