import { describe, expect, it } from 'vitest';
import { giteaApiBase, giteaAuthorization } from './start';

describe('giteaApiBase', () => {
  it('finds the API of the repository a clone URL names, under a sub-path too', () => {
    expect(giteaApiBase('https://codeberg.org/forgejo/forgejo.git')).toBe(
      'https://codeberg.org/api/v1/repos/forgejo/forgejo',
    );
    expect(giteaApiBase('http://127.0.0.1:3000/git/alice/tool/')).toBe(
      'http://127.0.0.1:3000/git/api/v1/repos/alice/tool',
    );
  });

  it('refuses a URL without owner and name', () => {
    expect(giteaApiBase('https://example.com/tool.git')).toBeNull();
    expect(giteaApiBase('https://example.com/')).toBeNull();
  });
});

describe('giteaAuthorization', () => {
  it('sends a token as Gitea takes it, else Basic', () => {
    expect(giteaAuthorization({ token: 'abc', username: 'u' })).toBe('token abc');
    expect(giteaAuthorization({ username: 'ü', password: 'p' })).toBe(`Basic ${btoa('\u00c3\u00bc:p')}`);
    expect(giteaAuthorization({})).toBeNull();
  });
});
