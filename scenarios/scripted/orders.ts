import type { User } from 'cicada-load';

interface OrderAnswer {
  readonly orderId?: string;
  readonly error?: string;
}

/** Orders a random item; a 200 with an `error` field is a failure named by the server's text. */
export async function placeOrder(u: User): Promise<void> {
  const itemId = 1 + Math.floor(Math.random() * 2000);
  const res = await u.post('/api/orders', { json: { itemId, quantity: 1 }, catchResponse: true });
  if (res.status !== 200) return; // recorded as `HTTP <status>` when the function returns
  const answer = res.json<OrderAnswer>();
  if (answer.error !== undefined) res.fail(answer.error);
  else if (answer.orderId === undefined) res.fail('no orderId in the answer');
  else res.pass();
}
