/**
 * The workspace's shared test set-up (a private package, never published): a
 * MemoryApiServer per test file, and local HTTP and SOCKS5 proxies. Its
 * dependencies are peers so that packages whose own tests use it (`@kube-ts/testing`,
 * `@kube-ts/client`) form no build cycle; under vitest `@kube-ts/*` resolves to sources.
 */
export { type MemoryApiServerFixture, useMemoryApiServer } from './memory-api-server.js';
export { startHttpProxy, startSocks5Proxy, type TestProxy } from './proxies.js';
