/**
 * The workspace's shared test set-up (a private package, never published). Its
 * dependencies are peers so that packages whose own tests use it (`@kube-ts/testing`,
 * `@kube-ts/client`) form no build cycle; under vitest `@kube-ts/*` resolves to sources.
 */
export { type MemoryApiServerFixture, useMemoryApiServer } from './memory-api-server.js';
