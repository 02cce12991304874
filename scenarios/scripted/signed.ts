import { createHmac, randomBytes } from 'node:crypto';
import type { OutgoingRequest, User } from 'cicada-load';

/** The demo target's shared secret; a real one would come from the environment. */
const SECRET = process.env.SIGNING_SECRET ?? 'demo-signing-secret';

/** Adds a random note to the JSON body, then signs METHOD, path, date and body. */
export function sign(_u: User, req: OutgoingRequest): void {
  const body = JSON.parse(String(req.body)) as Record<string, unknown>;
  body.note = randomBytes(4 + Math.floor(Math.random() * 28)).toString('base64url');
  req.body = JSON.stringify(body);
  const date = new Date().toUTCString();
  const path = new URL(req.url).pathname;
  req.headers['date'] = date;
  req.headers['x-signature'] = createHmac('sha256', SECRET).update(`${req.method}\n${path}\n${date}\n${req.body}`).digest('hex');
}
