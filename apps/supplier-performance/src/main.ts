import 'reflect-metadata';
import { bootstrapService } from '@oms/platform';
import { supplierPerformanceService } from './app/supplier-performance.service';

void bootstrapService(supplierPerformanceService);
