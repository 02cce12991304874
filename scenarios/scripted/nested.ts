import type { User } from 'cicada-load';

/**
 * Views 1-5 random items. A missing item (404) interrupts the whole task (Locust's interrupt()):
 * the flow's next step does not run. The 404 is expected here, so it is passed, not failed.
 */
export async function browse(u: User): Promise<void> {
  const views = 1 + Math.floor(Math.random() * 5);
  for (let i = 0; i < views; i++) {
    const id = 1 + Math.floor(Math.random() * 2000);
    const res = await u.get(`/api/items/${id}`, {
      name: '/api/items/[id]',
      headers: { authorization: `Bearer ${u.vars.token}` },
      catchResponse: true,
    });
    if (res.status === 404) {
      res.pass();
      u.stopTask();
    }
  }
}
