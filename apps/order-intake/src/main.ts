import 'reflect-metadata';
import { bootstrapService } from '@oms/platform';
import { orderIntakeService } from './app/order-intake.service';

void bootstrapService(orderIntakeService);
