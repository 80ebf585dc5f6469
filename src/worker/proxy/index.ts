// The LLM edge proxy: OpenAI- and Anthropic-compatible routes that put policy, budgets and
// response checks in front of the providers. Mounted at /proxy (see README.md beside this file).
// Client keys authenticate as on /v1 (Bearer; the Anthropic route also takes x-api-key, as its
// SDK sends); errors leave in the provider's shape.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { requireClient } from '../middleware/auth';
import { prefetchBundles } from '../middleware/prefetch-bundles';
import { proxyErrors } from './error-handler';
import { proxyHandler } from './handler';
import { anthropicMessages } from './providers/anthropic-messages';
import { openaiChat } from './providers/openai-chat';
import { openaiEmbeddings } from './providers/openai-embeddings';
import { openaiResponses } from './providers/openai-responses';

export const proxy = new Hono<AppEnv>();

proxy.use(prefetchBundles());
proxy.use('/openai/*', requireClient());
proxy.use('/anthropic/*', requireClient({ apiKeyHeader: true }));

proxy.post('/openai/v1/chat/completions', proxyHandler(openaiChat));
proxy.post('/openai/v1/responses', proxyHandler(openaiResponses));
proxy.post('/openai/v1/embeddings', proxyHandler(openaiEmbeddings));
proxy.post('/anthropic/v1/messages', proxyHandler(anthropicMessages));

proxy.onError(proxyErrors);
