import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import type { Db } from './db/connection.ts';
import type { EventBus } from './events/bus.ts';

/** Everything a feature needs from the running application, passed explicitly (no globals). */
export interface AppContext {
  config: Config;
  db: Db;
  bus: EventBus;
  log: FastifyBaseLogger | Console;
}
