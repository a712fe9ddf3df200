import type { Generated } from 'kysely';

/** A publication served by this Parley (src/sites). What existed before sites is the one keyed `default`. */
export interface SitesTable {
  id: Generated<number>;
  /** Short, URL-safe, stable: the embed's `data-site`. */
  key: string;
  name: string;
  /** JSON array of origins (`https://www.example.com`) whose pages may embed and create conversations. */
  origins: string;
  /** JSON: single sign-on settings (src/sites/model.ts SiteSso). */
  sso: string;
  /** JSON: the look (src/sites/model.ts SiteTheme). */
  theme: string;
  /** The site's language (BCP 47, one Parley speaks); null follows the service's setting `locale`. */
  locale: string | null;
  created_at: string;
  updated_at: string;
}

export interface ModeratorSitesTable {
  user_id: number;
  site_id: number;
}

export interface SiteTables {
  sites: SitesTable;
  moderator_sites: ModeratorSitesTable;
}
