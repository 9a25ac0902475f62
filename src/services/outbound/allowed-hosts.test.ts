import { describe, expect, it } from 'vitest';
import { classify, hostAllowed, parseAllowedHosts, parseIp } from './allowed-hosts';
import { checkOutboundUrl, OutboundRefusedError } from './fetch';

const host = (url: string) => new URL(url).hostname;

describe('ALLOWED_HOST_LIST', () => {
  it('classifies addresses as Gitea does', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'loopback'],
      ['127.255.0.9', 'loopback'],
      ['localhost', 'loopback'],
      ['api.localhost', 'loopback'],
      ['[::1]', 'loopback'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['172.32.0.1', 'external'],
      ['192.168.1.1', 'private'],
      ['[fd00::1]', 'private'],
      ['169.254.169.254', 'other'],
      ['0.0.0.0', 'other'],
      ['224.0.0.1', 'other'],
      ['[fe80::1]', 'other'],
      ['8.8.8.8', 'external'],
      ['[2001:db8::1]', 'external'],
      ['example.com', 'external'],
      // The URL parser spells numeric and hex hosts as dotted quads before they are judged.
      ['2130706433', 'loopback'],
      ['0x7f.1', 'loopback'],
      ['[::ffff:127.0.0.1]', 'loopback'],
      ['[::ffff:10.0.0.1]', 'private'],
    ];
    for (const [h, cls] of cases)
      expect([h, classify(host(`http://${h}/`).replace(/^\[|\]$/g, ''))]).toEqual([h, cls]);
  });

  it('parses IPv6 forms and refuses malformed ones', () => {
    expect(parseIp('::1')?.[15]).toBe(1);
    expect(parseIp('1:2:3:4:5:6:7:8')?.[15]).toBe(8);
    expect(parseIp('1::2::3')).toBeNull();
    expect(parseIp('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIp('300.1.1.1')).toBeNull();
  });

  it('allows what each entry names and nothing else', () => {
    const external = parseAllowedHosts(undefined);
    expect(hostAllowed(external, 'example.com')).toBe(true);
    expect(hostAllowed(external, '127.0.0.1')).toBe(false);
    expect(hostAllowed(external, '10.0.0.1')).toBe(false);
    expect(hostAllowed(external, 'localhost')).toBe(false);
    expect(hostAllowed(external, '169.254.169.254')).toBe(false);

    const loopback = parseAllowedHosts('loopback');
    expect(hostAllowed(loopback, '127.0.0.1')).toBe(true);
    expect(hostAllowed(loopback, '[::1]')).toBe(true);
    expect(hostAllowed(loopback, 'example.com')).toBe(false);
    expect(hostAllowed(loopback, '10.0.0.1')).toBe(false);

    const mixed = parseAllowedHosts(' private, *.example.org , 203.0.113.0/24,2001:db8::/32');
    expect(hostAllowed(mixed, '192.168.0.7')).toBe(true);
    expect(hostAllowed(mixed, 'ci.example.org')).toBe(true);
    expect(hostAllowed(mixed, 'example.org')).toBe(false);
    expect(hostAllowed(mixed, 'ci.example.org.evil.com')).toBe(false);
    expect(hostAllowed(mixed, '203.0.113.77')).toBe(true);
    expect(hostAllowed(mixed, '203.0.114.1')).toBe(false);
    expect(hostAllowed(mixed, '[2001:db8:1::5]')).toBe(true);
    expect(hostAllowed(mixed, '127.0.0.1')).toBe(false);

    expect(hostAllowed(parseAllowedHosts('*'), '127.0.0.1')).toBe(true);
  });

  it('refuses URLs that are not http(s) or whose host is not allowed', () => {
    const env = { ALLOWED_HOST_LIST: 'loopback' };
    expect(checkOutboundUrl(env, 'http://127.0.0.1:8080/hook').port).toBe('8080');
    for (const bad of ['file:///etc/passwd', 'ftp://127.0.0.1/', 'http://example.com/', 'not a url']) {
      expect(() => checkOutboundUrl(env, bad)).toThrow(OutboundRefusedError);
    }
    expect(() => checkOutboundUrl({}, 'http://127.0.0.1/')).toThrow(/allowed host list/);
  });
});
