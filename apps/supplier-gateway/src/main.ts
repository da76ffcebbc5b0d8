import 'reflect-metadata';
import { bootstrapService } from '@oms/platform';
import { supplierGatewayService } from './app/supplier-gateway.service';

void bootstrapService(supplierGatewayService);
