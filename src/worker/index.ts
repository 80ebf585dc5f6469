// Worker entry: the Hono app handles fetch; the Durable Object classes are exported for their bindings.
import { createApp } from './app';

export * from '../durable/index';

export default createApp();
