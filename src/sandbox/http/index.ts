export { startSandboxHttp, DEFAULT_SANDBOX_HTTP_PORT } from './sandbox-http';
export type { SandboxHttpOptions, SandboxHttpServer } from './sandbox-http';
export type { MessageView } from './message-view';
