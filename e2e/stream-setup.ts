// What e2e/fixtures/stream-fixture.ts prints: an article with a conversation and the readers of it.

export interface Who {
  token: string;
  handle: string;
}
export interface StreamSetup {
  path: string;
  stamp: string;
  reader: Who;
  other: Who;
  nojs: Who;
  journalist: Who;
  moderator: Who;
  featuredId: number;
  featured: string;
  note: string;
  replyId: number;
  oldId: number;
  journalistName: string;
  names: { reader: string; other: string; nojs: string; moderator: string };
}
