// Placeholder entry so the Workers test project has a main module; replaced by the Hono app.
export default {
  async fetch(): Promise<Response> {
    return Response.json({ status: 'ok' });
  },
};
