// POST /v1/keys {subject, name?} -> 201 {id, key, subject, name?, createdAt}; the key is shown only here.
// GET /v1/keys -> {keys: [{id, subject, name?, createdAt, lastUsedAt}]}: never a secret; lastUsedAt
//   (ISO, accurate to about a minute, null if never used) from auth/key-use.ts.
// DELETE /v1/keys/:id -> {id, deleted: true}, or 404.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env';
import { clientKeys } from '../auth/client-keys';
import { lastUse } from '../auth/key-use';
import { subjectSchema } from '../auth/subject';
import { ApiError } from '../http/api-error';
import { readJsonBody } from '../http/read-json';
import { validate } from '../http/validate';
import { requireAdmin } from '../middleware/auth';

const createBody = z.strictObject({ subject: subjectSchema, name: z.string().min(1).max(200).optional() });

export const keys = new Hono<AppEnv>();

keys.use(requireAdmin());

keys.post('/', async (c) => {
  const body = validate(createBody, await readJsonBody(c.req.raw, c.get('config').maxBodyBytes));
  const { key, record } = await clientKeys.create(c.env.BUNDLES, body.subject, body.name);
  Object.assign(c.get('logFields'), { createdKeyId: record.id });
  return c.json({ ...record, key }, 201);
});

keys.get('/', async (c) => {
  const kv = c.env.BUNDLES;
  const records = await clientKeys.list(kv);
  return c.json({ keys: await Promise.all(records.map(async (r) => ({ ...r, lastUsedAt: await lastUse(kv, r.id) }))) });
});

keys.delete('/:id', async (c) => {
  const id = c.req.param('id');
  if (!(await clientKeys.delete(c.env.BUNDLES, id))) throw new ApiError(404, 'not_found', `no client key with id ${id}`);
  Object.assign(c.get('logFields'), { deletedKeyId: id });
  return c.json({ id, deleted: true });
});
