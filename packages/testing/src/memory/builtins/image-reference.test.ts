import { describe, expect, test } from 'vitest';
import { imageTag } from './image-reference.js';

const sha = (n: number) => 'a'.repeat(n);

describe('imageTag (Go ParseImageName as defaulting uses it)', () => {
  test.each([
    ['nginx', 'latest'],
    ['nginx:1.27', '1.27'],
    ['nginx:latest', 'latest'],
    ['registry.example.com:5000/team/app:v2', 'v2'],
    ['localhost/app', 'latest'],
    ['Registry.Example.com/app:x', 'x'],
    [`nginx@sha256:${sha(64)}`, ''],
    [`nginx:1@sha512:${sha(128)}`, '1'],
  ])('%s has tag %j', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });

  test.each([
    ['Bad Value!'],
    ['Nginx'],
    ['team/App'],
    [''],
    [sha(64)],
    [`nginx@sha256:${sha(63)}`],
    [`nginx@md5:${sha(32)}`],
    [`a/${'b'.repeat(260)}`],
  ])('%j does not parse', (image) => {
    expect(imageTag(image)).toBeUndefined();
  });
});
