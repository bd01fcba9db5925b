import { ColumnSpec, DemoProduct, readRole, table } from 'src/catalog/demo/demo-model';
import {
  customerCohortRows,
  customerRows,
  orderRows,
  searchQueryRows,
} from 'src/catalog/demo/demo-rows-acme';

const ORDERS_PURPOSE =
  'All webshop, app and store orders of Acme Retail since 2025, one row per order.';

const CUSTOMER_EMAIL: ColumnSpec = [
  'customer_email',
  'string',
  'restricted',
  'Email address of the customer (PII)',
];

const orderColumns = (withEmail: boolean): ColumnSpec[] => [
  ['order_id', 'string', 'internal', 'Unique order number', true],
  ['customer_id', 'string', 'internal', 'Customer number (see the Customers data product)', true],
  ...(withEmail ? [CUSTOMER_EMAIL] : []),
  ['order_timestamp', 'timestamp', 'internal', 'When the order was placed (UTC)', true],
  [
    'order_status',
    'string',
    'internal',
    'processing, shipped, delivered, returned or canceled',
    true,
  ],
  ['item_count', 'integer', 'internal', 'Number of items in the order', true],
  ['order_total', 'number', 'internal', 'Order total incl. VAT and shipping', true],
  ['currency', 'string', 'public', 'ISO 4217 currency code', true],
  ['sales_channel', 'string', 'internal', 'web, app or store', true],
  ['is_first_order', 'boolean', 'internal', 'True for the first order of the customer', true],
];

/** Acme Retail's sales domain: checkout and marketing. */
export const ACME_SALES_PRODUCTS: DemoProduct[] = [
  {
    organization: 'acme',
    externalId: 'orders',
    name: 'Orders',
    ownerTeam: 'checkout',
    status: 'active',
    certification: 'Gold',
    archetype: 'source-aligned',
    description: {
      purpose: ORDERS_PURPOSE,
      usage: 'Sales reporting, demand forecasting and order analytics. Prefer orders_npii_v1.',
      limitations: 'Updated hourly; returns are reflected in the status, not as separate rows.',
    },
    tags: ['orders', 'sales', 'checkout'],
    inputPorts: [],
    outputPorts: [
      {
        externalId: 'orders_pii_v1',
        name: 'Orders with customer contact (PII) v1',
        type: 'postgres',
        server: {
          server: 'production',
          type: 'postgres',
          host: 'orders-db.acme.example',
          port: 5432,
          database: 'orders',
          schema: 'pii_v1',
        },
        autoApprove: false,
        containsPii: true,
        contract: {
          externalId: 'orders_pii_v1_contract',
          name: 'Orders with customer contact (PII)',
          description: {
            purpose: `${ORDERS_PURPOSE} Includes the customer's email address.`,
            usage: 'Only for customer service processes that must contact the customer.',
            limitations: 'customer_email is restricted: it needs the role orders.pii.read.',
          },
          tables: [
            table('postgres', 'orders', 'One row per order', orderColumns(true), orderRows(true)),
          ],
          roles: [
            readRole('orders.read', 'Read orders without contact data'),
            readRole('orders.pii.read', 'Read orders including the customer email', [
              'customer_email',
            ]),
          ],
        },
      },
      {
        externalId: 'orders_npii_v1',
        name: 'Orders without PII v1',
        type: 'postgres',
        server: {
          server: 'production',
          type: 'postgres',
          host: 'orders-db.acme.example',
          port: 5432,
          database: 'orders',
          schema: 'npii_v1',
        },
        autoApprove: true,
        containsPii: false,
        contract: {
          externalId: 'orders_npii_v1_contract',
          name: 'Orders without PII',
          description: {
            purpose: `${ORDERS_PURPOSE} Contains no personal data.`,
            usage: 'Analytics, reporting and as an input for downstream data products.',
            limitations: 'Join with Customers only through customer_id, under its own agreement.',
          },
          tables: [
            table('postgres', 'orders', 'One row per order', orderColumns(false), orderRows(false)),
          ],
          roles: [readRole('orders.read', 'Read orders')],
        },
      },
    ],
  },
  {
    organization: 'acme',
    externalId: 'customers',
    name: 'Customers',
    ownerTeam: 'checkout',
    status: 'active',
    certification: 'Silver',
    archetype: 'source-aligned',
    description: {
      purpose: 'The master data of registered Acme Retail customers with their value and activity.',
      usage: 'Customer analytics, churn analysis and customer support.',
      limitations: 'Contains names (PII); guest orders have no customer record.',
    },
    tags: ['customers', 'crm', 'pii'],
    inputPorts: [],
    outputPorts: [
      {
        externalId: 'customers_v1',
        name: 'Customers v1',
        type: 'postgres',
        server: {
          server: 'production',
          type: 'postgres',
          host: 'customers-db.acme.example',
          port: 5432,
          database: 'customers',
          schema: 'v1',
        },
        autoApprove: false,
        containsPii: true,
        contract: {
          externalId: 'customers_v1_contract',
          name: 'Customers',
          description: {
            purpose: 'One row per registered customer with segment, lifetime value and activity.',
            usage: 'Analysts request customer.analyst; support agents request customer.support.',
            limitations: 'Refreshed nightly; deleted customers are removed within 30 days.',
          },
          tables: [
            table(
              'postgres',
              'customers',
              'One row per registered customer',
              [
                ['customer_id', 'string', 'internal', 'Customer number', true],
                ['full_name', 'string', 'internal', 'First and last name (PII)', true],
                ['city', 'string', 'internal', 'City of the billing address', true],
                ['country_code', 'string', 'public', 'ISO 3166-1 alpha-2 country code', true],
                ['segment', 'string', 'internal', 'premium, regular or occasional', true],
                ['signup_date', 'date', 'internal', 'Day of registration', true],
                ['lifetime_value', 'number', 'internal', 'Net revenue of all orders in EUR', true],
                ['order_count', 'integer', 'internal', 'Non-canceled orders since 2025', true],
                ['is_active', 'boolean', 'internal', 'Ordered within the last 12 months', true],
              ],
              customerRows(),
            ),
          ],
          roles: [
            readRole('customer.analyst', 'Analyse customers in aggregate'),
            readRole('customer.support', 'Look up single customers for support cases'),
          ],
        },
      },
    ],
  },
  {
    organization: 'acme',
    externalId: 'customer-cohorts',
    name: 'Customer Cohorts',
    ownerTeam: 'marketing',
    status: 'active',
    archetype: 'consumer-aligned',
    description: {
      purpose: 'Monthly acquisition cohorts with their retention and average order value.',
      usage: 'Marketing performance and retention reporting.',
      limitations: 'Derived from Orders without PII; at most 10 queries per user and day.',
    },
    tags: ['marketing', 'retention', 'analytics'],
    inputPorts: ['orders_npii_v1'],
    outputPorts: [
      {
        externalId: 'customer_cohorts_v1',
        name: 'Customer Cohorts v1',
        type: 'bigquery',
        server: {
          server: 'production',
          type: 'bigquery',
          project: 'acme-marketing-demo',
          dataset: 'customer_cohorts_v1',
        },
        autoApprove: true,
        containsPii: false,
        contract: {
          externalId: 'customer_cohorts_v1_contract',
          name: 'Customer Cohorts',
          description: {
            purpose: 'One row per monthly acquisition cohort over the last 12 months.',
            usage: 'Dashboards and ad-hoc analyses of retention.',
            limitations: 'Service level: at most 10 queries per user and day.',
          },
          tables: [
            table(
              'bigquery',
              'customer_cohorts',
              'One row per acquisition month',
              [
                ['cohort_month', 'date', 'internal', 'First day of the acquisition month', true],
                ['new_customers', 'integer', 'internal', 'Customers with their first order', true],
                [
                  'retained_30d',
                  'integer',
                  'internal',
                  'Customers ordering again within 30 days',
                  true,
                ],
                [
                  'retention_rate_90d',
                  'number',
                  'internal',
                  'Share ordering again within 90 days',
                  true,
                ],
                ['avg_order_value', 'number', 'internal', 'Average order value in EUR', true],
                ['top_channel', 'string', 'internal', 'Sales channel with most first orders', true],
              ],
              customerCohortRows(),
            ),
          ],
          roles: [readRole('customer_cohorts.read', 'Read customer cohorts')],
          slaProperties: [{ property: 'maxQueriesPerDay', value: 10 }],
        },
      },
    ],
  },
  {
    organization: 'acme',
    externalId: 'search-queries',
    name: 'Search Queries',
    ownerTeam: 'marketing',
    status: 'deprecated',
    archetype: 'source-aligned',
    description: {
      purpose:
        'Searches in the webshop and app with the clicked article, without user identifiers.',
      usage: 'Search tuning and assortment gaps (searches without results).',
      limitations: 'Deprecated: no data after November 2024; a successor is planned.',
    },
    tags: ['search', 'webshop', 'marketing'],
    inputPorts: [],
    outputPorts: [
      {
        externalId: 'search_queries_all_npii_v1',
        name: 'Search Queries, all, without PII v1',
        type: 's3',
        server: {
          server: 'production',
          type: 's3',
          location: 's3://acme-search-demo/search_queries/all_npii_v1/',
          endpointUrl: 'https://s3.acme.example',
          format: 'parquet',
        },
        autoApprove: true,
        containsPii: false,
        contract: {
          externalId: 'search_queries_all_npii_v1_contract',
          name: 'Search Queries, all, without PII',
          description: {
            purpose: 'One row per search in the webshop or the app.',
            usage: 'Search relevance analyses.',
            limitations: 'Deprecated; sessions and users are not identifiable.',
          },
          tables: [
            table(
              's3',
              'search_queries',
              'One row per search',
              [
                ['query_id', 'string', 'internal', 'Unique search id', true],
                ['searched_at', 'timestamp', 'internal', 'When the search ran (UTC)', true],
                ['search_term', 'string', 'internal', 'The normalised search term', true],
                ['results_count', 'integer', 'internal', 'Number of results shown', true],
                ['clicked_sku', 'string', 'internal', 'Article clicked from the results, if any'],
                ['channel', 'string', 'internal', 'web or app', true],
                ['converted', 'boolean', 'internal', 'The clicked article was ordered', true],
              ],
              searchQueryRows(),
            ),
          ],
          roles: [readRole('search_queries.read', 'Read search queries')],
        },
      },
    ],
  },
];
