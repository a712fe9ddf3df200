import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { OidcSignInButton } from './signin-offer.tsx';

describe('OidcSignInButton', () => {
  it('renders nothing without an offer', () => {
    expect(renderToString(<OidcSignInButton offer={null} />)).toBe('');
  });

  it('links to the start of the flow and escapes the publisher’s label', () => {
    const html = renderToString(<OidcSignInButton offer={{ label: 'The <b>Daily</b> & Co', href: '/auth/oidc/default/start?next=%2Fa&x=1' }} />);
    expect(html).toContain('href="/auth/oidc/default/start?next=%2Fa&amp;x=1"');
    expect(html).toContain('Sign in with The &lt;b>Daily&lt;/b> &amp; Co');
    expect(html).not.toContain('<b>');
  });
});
