// Placeholder entry so the Workers test project has a main module; replaced by the Hono app (issue 3).
export * from '../durable/index';

export default {
  async fetch(): Promise<Response> {
    return Response.json({ status: 'ok' });
  },
};
