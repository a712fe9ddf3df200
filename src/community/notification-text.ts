// The words for a notification, the same on the page and in mails.

export interface NotificationWords {
  kind: string;
  actorName: string | null;
  actorCount: number;
  headline: string | null;
}

export function notificationSentence(n: NotificationWords): string {
  const who = n.actorName ?? 'A reader who has left';
  const on = n.headline ? ` on “${n.headline}”` : '';
  switch (n.kind) {
    case 'reply':
      return `${who} replied to your comment${on}.`;
    case 'mention':
      return `${who} mentioned you${on}.`;
    case 'followed_reader_comment':
      return `${who}, whom you follow, commented${on}.`;
    case 'followed_article_comment':
      return `${who} commented in a conversation you follow${on}.`;
    case 'reaction':
      return n.actorCount > 1 ? `${n.actorCount} people respected your comment${on}.` : `${who} respected your comment${on}.`;
    case 'new_follower':
      return `${who} started following you.`;
    case 'followed_author_article':
      return n.headline ? `A new article by an author you follow: “${n.headline}”.` : 'A new article by an author you follow.';
    case 'comment_approved':
      return `A moderator published your comment${on}.`;
    case 'comment_rejected':
      return `A moderator rejected your comment${on}; the reason is shown on the comment.`;
    case 'comment_featured':
      return `A moderator featured your comment${on}.`;
    default:
      return `Something happened${on}.`;
  }
}

/** What a mail's subject says for one kind (or the digest). */
export const KIND_LABELS: Record<string, string> = {
  reply: 'Replies to my comments',
  mention: 'Mentions of me',
  followed_reader_comment: 'Comments by readers I follow',
  reaction: 'Reactions to my comments',
  new_follower: 'New followers',
  followed_article_comment: 'New comments in conversations I follow',
  followed_author_article: 'New articles by authors I follow',
  comment_approved: 'My held comments published by a moderator',
  comment_rejected: 'My comments rejected by a moderator',
  comment_featured: 'My comments featured by a moderator',
};
