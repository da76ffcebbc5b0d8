import 'reflect-metadata';
import { bootstrapService } from '@oms/platform';
import { returnsRouterService } from './app/returns-router.service';

void bootstrapService(returnsRouterService);
