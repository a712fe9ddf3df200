import type { Migration } from 'kysely';
import * as m0001 from './migrations/0001_core.ts';
import * as m0002 from './migrations/0002_accounts.ts';
import * as m0003 from './migrations/0003_comments.ts';
import * as m0005 from './migrations/0005_community.ts';
import * as m0006 from './migrations/0006_notifications.ts';
import * as m0007 from './migrations/0007_moderation.ts';
import * as m0009 from './migrations/0009_notification_groups.ts';
import * as m0010 from './migrations/0010_author_comment_counts.ts';
import * as m0011 from './migrations/0011_events_by_type.ts';
import * as m0012 from './migrations/0012_media.ts';
import * as m0013 from './migrations/0013_failed_jobs.ts';
import * as m0014 from './migrations/0014_sites.ts';
import * as m0015 from './migrations/0015_sso.ts';
import * as m0016 from './migrations/0016_signin_throttle.ts';
import * as m0017 from './migrations/0017_rate_limits.ts';
import * as m0018 from './migrations/0018_comment_imports.ts';
import * as m0019 from './migrations/0019_webhooks.ts';
import * as m0020 from './migrations/0020_quotes.ts';
import * as m0021 from './migrations/0021_conversation_activity.ts';
import * as m0022 from './migrations/0022_moderator_notes.ts';
import * as m0023 from './migrations/0023_comment_passages.ts';
import * as m0027 from './migrations/0027_locale_preference.ts';
import * as m0028 from './migrations/0028_site_locale.ts';
import * as m0029 from './migrations/0029_moderation_detail_values.ts';
import * as m0030 from './migrations/0030_viewer_mark_indexes.ts';
import * as m0031 from './migrations/0031_partial_moderation_indexes.ts';

/** Every migration, in order. A feature adds its file to migrations/ and one line here. */
export const migrations: Record<string, Migration> = {
  '0001_core': m0001,
  '0002_accounts': m0002,
  '0003_comments': m0003,
  '0005_community': m0005,
  '0006_notifications': m0006,
  '0007_moderation': m0007,
  '0009_notification_groups': m0009,
  '0010_author_comment_counts': m0010,
  '0011_events_by_type': m0011,
  '0012_media': m0012,
  '0013_failed_jobs': m0013,
  '0014_sites': m0014,
  '0015_sso': m0015,
  '0016_signin_throttle': m0016,
  '0017_rate_limits': m0017,
  '0018_comment_imports': m0018,
  '0019_webhooks': m0019,
  '0020_quotes': m0020,
  '0021_conversation_activity': m0021,
  '0022_moderator_notes': m0022,
  '0023_comment_passages': m0023,
  '0027_locale_preference': m0027,
  '0028_site_locale': m0028,
  '0029_moderation_detail_values': m0029,
  '0030_viewer_mark_indexes': m0030,
  '0031_partial_moderation_indexes': m0031,
};
