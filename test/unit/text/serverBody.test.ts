import { describe, expect, it } from 'vitest';
import { quoteServerBody, SERVER_QUOTE_MAX } from '../../../src/platform/text/serverBody.js';

// How an error quotes what a server (or the proxy in front of it) answered: one short line.

const NGINX_502 = `<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.27.0</center>\r\n</body>\r\n</html>\r\n`;

const SSO_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><style>body { font-family: sans-serif; color: #333 }</style>
<script>window.location = "/oauth2/start?rd=" + encodeURIComponent(location.href)</script></head>
<body><div class="box"><h1>Sign in to Corp&nbsp;SSO &amp; continue</h1><p>${'You must sign in. '.repeat(40)}</p></div></body></html>`;

describe('quoting a server answer', () => {
  it('an HTML error page is its title, never its markup', () => {
    expect(quoteServerBody(NGINX_502)).toBe('HTML page: 502 Bad Gateway');
    expect(quoteServerBody(Buffer.from(NGINX_502))).toBe('HTML page: 502 Bad Gateway');
  });

  it('without a title, the first heading; without either, the text, no scripts or styles', () => {
    expect(quoteServerBody(SSO_PAGE)).toBe('HTML page: Sign in to Corp SSO & continue');
    const bare = '<html><head><script>var secret = 1;</script><style>p{}</style></head><body><p>Service   Unavailable</p><!-- node-7 --></body></html>';
    expect(quoteServerBody(bare)).toBe('HTML page: Service Unavailable');
    expect(quoteServerBody('<html><body></body></html>')).toBe('an HTML page');
    // Cut inside a style block (a transport keeps only the start of a body).
    expect(quoteServerBody('<html><head><style>body { color: red } .a { margin: 0')).toBe('an HTML page');
    // The content type says HTML even when the page starts with a fragment.
    expect(quoteServerBody('<div><b>Forbidden</b> by policy</div>', 'text/html; charset=utf-8')).toBe('HTML page: Forbidden by policy');
  });

  it('JSON gives its message; plain text its first words, on one line and cut', () => {
    expect(quoteServerBody('{"message":"upstream connect error","code":503}')).toBe('upstream connect error');
    expect(quoteServerBody('{"error":{"type":"x","reason":"index closed"}}')).toBe('index closed');
    expect(quoteServerBody('no healthy upstream\n')).toBe('no healthy upstream');
    const long = quoteServerBody(`upstream\nfailed ${'x'.repeat(1000)}`);
    expect(long.length).toBe(SERVER_QUOTE_MAX);
    expect(long).toMatch(/^upstream failed x+…$/);
    expect(quoteServerBody('   ')).toBe('');
    expect(quoteServerBody(undefined)).toBe('');
  });

  it('control sequences in the answer never reach the terminal', () => {
    expect(quoteServerBody('bad\x1b]0;owned\x07 gateway\x1b[2J')).toBe('bad gateway');
    expect(quoteServerBody('<title>\x1b[31m502\x1b[0m</title>')).toBe('HTML page: 502');
  });
});
