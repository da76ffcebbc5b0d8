import 'reflect-metadata';
import { bootstrapService } from '@oms/platform';
import { financeReconcilerService } from './app/finance-reconciler.service';

void bootstrapService(financeReconcilerService);
