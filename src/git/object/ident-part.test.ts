// identPart against C git: the identity C git itself writes for the same name and email.
import { execFileSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { rng } from '../../../test/helpers/prng';
import { identPart } from './ident';

/** C git's author line for a name and email given in the environment (no NUL possible there). */
function gitIdent(name: string, email: string): string {
  return execFileSync('git', ['var', 'GIT_AUTHOR_IDENT'], {
    env: { ...process.env, GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_AUTHOR_DATE: '@1 +0000' },
    encoding: 'utf8',
  }).replace(/\n$/, '');
}

const HOSTILE = [
  'Eve <evil@example.com>',
  '<>',
  'a\nb',
  '  "Mallory". ',
  '.. ,Eve <evil@x>\n"Mallory". ',
  "Ada 'the' Lovelace",
  'J. Smith Jr.',
  '\t;:Zoë>\r',
  'x>y<z',
  '名前 <\n>',
];

test('names and emails are cleaned exactly as C git cleans them', () => {
  const r = rng(23);
  const alphabet = [
    'a',
    'Z',
    ' ',
    '.',
    ',',
    ':',
    ';',
    '<',
    '>',
    '"',
    '\\',
    "'",
    '\n',
    '\t',
    '\r',
    'é',
    '-',
    '@',
  ];
  const random = Array.from({ length: 40 }, () =>
    Array.from({ length: 1 + r.int(12) }, () => r.pick(alphabet)).join(''),
  );
  for (const name of [...HOSTILE, ...random]) {
    // git refuses an empty name; a name that cleans to nothing is the caller's to replace.
    if (identPart(name) === '') continue;
    expect(`${identPart(name)} <${identPart(`${name}@x`)}> 1 +0000`, JSON.stringify(name)).toBe(
      gitIdent(name, `${name}@x`),
    );
  }
});

test('the text ends at a NUL, as a C string does', () => {
  expect(identPart('Eve\0<evil>')).toBe('Eve');
  expect(identPart('\0')).toBe('');
});
