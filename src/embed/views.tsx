import type { ComponentChildren } from 'preact';
import { clientScript } from '../ui/client-assets.ts';
import { textDirection } from '../i18n/locales.ts';
import { htmlLang } from '../i18n/request.ts';
import { useI18n } from '../i18n/view.ts';
import { BaseHead } from '../ui/layout.tsx';

// The embedded frame's document: no site header or footer (the publisher's page is around it), the
// site's look, and the frame island, which sizes the frame, signs in and runs the conversation.

export interface FrameProps {
  title: string;
  siteKey: string;
  hostOrigin: string;
  url: string;
  children: ComponentChildren;
}

export function FrameDocument({ title, siteKey, hostOrigin, url, children }: FrameProps) {
  const script = clientScript('embed-frame');
  const { locale } = useI18n();
  return (
    <html lang={htmlLang(locale)} dir={textDirection(locale)}>
      <head>
        <BaseHead title={title} />
        <meta name="robots" content="noindex" />
        <link rel="stylesheet" href={`/embed/${encodeURIComponent(siteKey)}/theme.css`} />
        {/* Links a reader follows (a permalink, a profile) open beside the publisher's page, not inside the frame. */}
        <base target="_blank" />
        {script ? <script type="module" src={script} /> : null}
      </head>
      <body class="embed" data-site={siteKey} data-host-origin={hostOrigin} data-url={url}>
        {/* Not a <main>: the frame is a part of the publisher's page, which has its own main landmark. */}
        <div class="embed__main">{children}</div>
      </body>
    </html>
  );
}

export function Refusal({ message }: { message: string }) {
  return (
    <p class="embed-refusal" role="alert">
      {message}
    </p>
  );
}

/** The first-party window after sign-in: it hands the frame a one-time code and closes. */
export function HandoffDocument({ code, state, siteName }: { code: string; state: string; siteName: string }) {
  const script = clientScript('embed-popup');
  const { t, locale } = useI18n();
  return (
    <html lang={htmlLang(locale)} dir={textDirection(locale)}>
      <head>
        <BaseHead title={t('embed.signedIn.title', { site: siteName })} />
        <meta name="referrer" content="no-referrer" />
        {script ? <script type="module" src={script} /> : null}
      </head>
      <body class="embed-handoff" data-code={code} data-state={state}>
        <main id="main">
          <h1>{t('embed.signedIn.heading')}</h1>
          <p class="embed-handoff__status" role="status">
            {t('embed.signedIn.status')}
          </p>
        </main>
      </body>
    </html>
  );
}
