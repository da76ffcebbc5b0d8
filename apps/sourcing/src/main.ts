import 'reflect-metadata';
import { bootstrapService } from '@oms/platform';
import { sourcingService } from './app/sourcing.service';

void bootstrapService(sourcingService);
