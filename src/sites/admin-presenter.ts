import { Type, type Static } from 'typebox';
import { redactSso } from './admin-commands.ts';
import type { Site } from './model.ts';

// A site as admins see it in the API: everything but the secrets, which show only as "set".

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Role = Type.Union([Type.Literal('staff'), Type.Literal('moderator')]);
const ThemeFields = {
  accent: Type.Optional(Type.String({ maxLength: 200, description: 'CSS colour, e.g. #b3001b' })),
  background: Type.Optional(Type.String({ maxLength: 200 })),
  text: Type.Optional(Type.String({ maxLength: 200 })),
  fontBody: Type.Optional(Type.String({ maxLength: 200, description: 'A font stack, e.g. Georgia, serif' })),
  fontHeadline: Type.Optional(Type.String({ maxLength: 200 })),
};

export const ThemeJson = Type.Object(ThemeFields, { additionalProperties: false });

export const SiteJson = Type.Object(
  {
    key: Type.String({ description: "The embed's data-site" }),
    name: Type.String(),
    origins: Type.Array(Type.String(), { description: 'Origins whose pages may embed the conversations' }),
    theme: ThemeJson,
    locale: Nullable(Type.String({ description: 'The language the site speaks (BCP 47); null: the service’s' })),
    sso: Type.Object({
      jwt: Nullable(Type.Object({ secret: Nullable(Type.Literal('set')), jwksUrl: Nullable(Type.String()) })),
      oidc: Nullable(Type.Object({ issuer: Type.String(), clientId: Type.String(), clientSecret: Nullable(Type.Literal('set')), label: Type.String() })),
      roles: Nullable(Type.Object({ claim: Type.String(), map: Type.Record(Type.String(), Role) })),
    }, { description: 'Single sign-on; secrets are never shown, only whether one is set' }),
    articleCount: Type.Integer(),
    embed: Type.Object({ snippet: Type.String(), countSnippet: Type.String() }, { description: 'What the publisher pastes into its pages' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type SiteJson = Static<typeof SiteJson>;

/** Single sign-on as the admin sends it: a secret left out is kept, null removes it; a part set to null is turned off. */
export const SsoPatchJson = Type.Object(
  {
    jwt: Type.Optional(Nullable(Type.Object({ secret: Type.Optional(Nullable(Type.String({ maxLength: 500 }))), jwksUrl: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) }, { additionalProperties: false }))),
    oidc: Type.Optional(
      Nullable(
        Type.Object(
          { issuer: Type.String({ maxLength: 2000 }), clientId: Type.String({ maxLength: 500 }), clientSecret: Type.Optional(Nullable(Type.String({ maxLength: 500 }))), label: Type.String({ maxLength: 100 }) },
          { additionalProperties: false },
        ),
      ),
    ),
    roles: Type.Optional(Nullable(Type.Object({ claim: Type.String({ maxLength: 100 }), map: Type.Record(Type.String({ maxLength: 200 }), Type.String({ maxLength: 20 }), { maxProperties: 50 }) }, { additionalProperties: false }))),
  },
  { additionalProperties: false },
);

export const NewSiteJson = Type.Object(
  {
    key: Type.Optional(Type.String({ maxLength: 40, description: 'Made from the name when left out' })),
    name: Type.String({ maxLength: 120 }),
    origins: Type.Array(Type.String({ maxLength: 300 }), { maxItems: 50 }),
    theme: Type.Optional(ThemeJson),
    locale: Type.Optional(Nullable(Type.String({ maxLength: 35, description: 'A language Parley speaks (en, fr); null or left out: the service’s' }))),
    sso: Type.Optional(SsoPatchJson),
  },
  { additionalProperties: false },
);

export const SitePatchJson = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 120 })),
    origins: Type.Optional(Type.Array(Type.String({ maxLength: 300 }), { maxItems: 50 })),
    theme: Type.Optional(ThemeJson),
    locale: Type.Optional(Nullable(Type.String({ maxLength: 35, description: 'A language Parley speaks (en, fr); null: the service’s' }))),
    sso: Type.Optional(SsoPatchJson),
  },
  { additionalProperties: false },
);

/** The two snippets a publisher pastes: the conversation where comments belong, the counts on listing pages. */
export function embedSnippets(publicUrl: string, key: string): { snippet: string; countSnippet: string } {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    snippet: `<div id="parley-comments"></div><script src="${base}/embed.js" data-site="${key}" async></script>`,
    countSnippet: `<script src="${base}/count.js" data-site="${key}" async></script>`,
  };
}

export function presentSite(site: Site, articleCount: number, publicUrl: string): SiteJson {
  return {
    key: site.key,
    name: site.name,
    origins: site.origins,
    theme: { ...site.theme },
    locale: site.locale ?? null,
    sso: redactSso(site.sso),
    articleCount,
    embed: embedSnippets(publicUrl, site.key),
    createdAt: site.createdAt.toISOString(),
    updatedAt: site.updatedAt.toISOString(),
  };
}
