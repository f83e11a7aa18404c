// Entry point of the demo module: the bundled sample of news sources and its server.
export { startDemoServer, type DemoServer, type DemoServerOptions } from './server.ts';
export { describeDemoSample, type DemoSampleArticle } from './manifest.ts';
