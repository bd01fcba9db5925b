export * from 'src/catalog/entities/team.entity';
export * from 'src/catalog/entities/data-product.entity';
export * from 'src/catalog/entities/port.entity';
export * from 'src/catalog/entities/data-contract.entity';
export * from 'src/catalog/entities/access-agreement.entity';
