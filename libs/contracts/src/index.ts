import 'reflect-metadata';
export * from './topics';
export * from './validation';
export * from './diagnostics/diagnostic-events';
export * from './commerce/order-placed';
export * from './orders/order-events';
export * from './fulfilment/fulfilment-events';
export * from './catalog/catalog-events';
