import { Logger } from '@nestjs/common';
import { ConfigurationError } from './config/load-env';
import type { ServiceEnv } from './config/service-env';
import type { ServiceDescriptor } from './service-descriptor';
import { startService } from './start-service';

/** A service process's `main`: start, then stop cleanly on SIGTERM/SIGINT; exit 1 on a bad start. */
export async function bootstrapService<Env extends ServiceEnv>(descriptor: ServiceDescriptor<Env>): Promise<void> {
  const log = new Logger(descriptor.name);
  try {
    const service = await startService(descriptor);
    const stop = async (signal: string) => {
      log.log(`${signal}: stopping`);
      await service.close();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  } catch (error) {
    if (error instanceof ConfigurationError) log.error(error.message);
    else log.error(`failed to start: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  }
}
