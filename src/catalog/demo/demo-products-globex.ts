import { DemoProduct, readRole, table } from 'src/catalog/demo/demo-model';
import { fraudScoreRows, monthlyRevenueRows, paymentRows } from 'src/catalog/demo/demo-rows-globex';

/** Globex Financial: payments, risk and finance. */
export const GLOBEX_PRODUCTS: DemoProduct[] = [
  {
    organization: 'globex',
    externalId: 'payments',
    name: 'Payments',
    ownerTeam: 'payments',
    status: 'active',
    certification: 'Gold',
    archetype: 'source-aligned',
    description: {
      purpose: 'All incoming and outgoing customer payments booked by Globex Financial.',
      usage: 'Fraud detection, revenue reporting, reconciliation and audits.',
      limitations: 'Not for marketing. IBANs are masked and restricted to auditors.',
    },
    tags: ['payments', 'transactions', 'pii'],
    inputPorts: [],
    outputPorts: [
      {
        externalId: 'payments_v1',
        name: 'Payments v1',
        type: 'postgres',
        server: {
          server: 'production',
          type: 'postgres',
          host: 'payments-db.globex.example',
          port: 5432,
          database: 'payments',
          schema: 'v1',
        },
        autoApprove: false,
        containsPii: true,
        contract: {
          externalId: 'payments_v1_contract',
          name: 'Payments',
          description: {
            purpose: 'One row per booked payment with counterparty and status.',
            usage: 'Analysts request payments.analyst.read; auditors payments.auditor.read.',
            limitations:
              'Must not be used for marketing. iban_masked is restricted to payments.auditor.read.',
          },
          tables: [
            table(
              'postgres',
              'payments',
              'One row per booked payment',
              [
                ['payment_id', 'string', 'internal', 'Unique payment id', true],
                ['booked_at', 'timestamp', 'internal', 'Booking time (UTC)', true],
                ['amount', 'number', 'internal', 'Amount in the payment currency', true],
                ['currency', 'string', 'public', 'ISO 4217 currency code', true],
                ['counterparty_name', 'string', 'internal', 'Name of the counterparty', true],
                ['iban_masked', 'string', 'restricted', 'Masked IBAN of the counterparty', true],
                [
                  'payment_method',
                  'string',
                  'internal',
                  'card, SEPA credit transfer or debit',
                  true,
                ],
                [
                  'payment_status',
                  'string',
                  'internal',
                  'settled, pending, failed or refunded',
                  true,
                ],
                ['merchant_category', 'string', 'internal', 'Category of the counterparty', true],
                ['is_cross_border', 'boolean', 'internal', 'Counterparty outside Germany', true],
              ],
              paymentRows(),
            ),
          ],
          roles: [
            readRole('payments.analyst.read', 'Analyse payments without account data'),
            readRole('payments.auditor.read', 'Audit payments including masked IBANs', [
              'iban_masked',
            ]),
          ],
          customProperties: [{ property: 'prohibitedPurposes', value: ['marketing'] }],
        },
      },
    ],
  },
  {
    organization: 'globex',
    externalId: 'fraud-scores',
    name: 'Fraud Scores',
    ownerTeam: 'risk',
    status: 'active',
    certification: 'Silver',
    archetype: 'aggregate',
    description: {
      purpose: 'A fraud score per payment from the scoring model of the risk team.',
      usage: 'Case handling, model monitoring and risk reporting.',
      limitations: 'Scores are model output, not a decision; the model changes quarterly.',
    },
    tags: ['risk', 'fraud', 'ml'],
    inputPorts: ['payments_v1'],
    outputPorts: [
      {
        externalId: 'fraud_scores_v1',
        name: 'Fraud Scores v1',
        type: 'snowflake',
        server: {
          server: 'production',
          type: 'snowflake',
          account: 'globex-demo',
          database: 'RISK',
          schema: 'FRAUD_SCORES_V1',
        },
        autoApprove: false,
        containsPii: false,
        contract: {
          externalId: 'fraud_scores_v1_contract',
          name: 'Fraud Scores',
          description: {
            purpose: 'One score per payment between 0 (safe) and 1 (fraud).',
            usage: 'Prioritise fraud cases; monitor the model.',
            limitations: 'Scores of different model versions are not comparable.',
          },
          tables: [
            table(
              'snowflake',
              'fraud_scores',
              'One row per scored payment',
              [
                ['payment_id', 'string', 'internal', 'Payment id (see Payments)', true],
                ['scored_at', 'timestamp', 'internal', 'Scoring time (UTC)', true],
                ['fraud_score', 'number', 'internal', 'Probability of fraud, 0 to 1', true],
                ['risk_band', 'string', 'internal', 'low, medium or high', true],
                ['model_version', 'string', 'internal', 'Version of the scoring model', true],
                ['flagged', 'boolean', 'internal', 'Sent to manual review', true],
              ],
              fraudScoreRows(),
            ),
          ],
          roles: [readRole('fraud_scores.read', 'Read fraud scores')],
        },
      },
    ],
  },
  {
    organization: 'globex',
    externalId: 'monthly-revenue',
    name: 'Monthly Revenue',
    ownerTeam: 'finance',
    status: 'active',
    archetype: 'consumer-aligned',
    description: {
      purpose: 'Fee revenue per month and business unit, derived from Payments.',
      usage: 'Financial reporting and planning.',
      limitations: 'Preliminary until the month is closed (5th working day).',
    },
    tags: ['finance', 'revenue', 'reporting'],
    inputPorts: ['payments_v1'],
    outputPorts: [
      {
        externalId: 'monthly_revenue_v1',
        name: 'Monthly Revenue v1',
        type: 'postgres',
        server: {
          server: 'production',
          type: 'postgres',
          host: 'finance-db.globex.example',
          port: 5432,
          database: 'finance',
          schema: 'monthly_revenue_v1',
        },
        autoApprove: true,
        containsPii: false,
        contract: {
          externalId: 'monthly_revenue_v1_contract',
          name: 'Monthly Revenue',
          description: {
            purpose: 'One row per month and business unit with revenue and refunds in EUR.',
            usage: 'Finance dashboards and planning.',
            limitations: 'No per-customer figures.',
          },
          tables: [
            table(
              'postgres',
              'monthly_revenue',
              'One row per month and business unit',
              [
                ['month', 'date', 'internal', 'First day of the month', true],
                ['business_unit', 'string', 'internal', 'cards or transfers', true],
                ['revenue', 'number', 'internal', 'Fee revenue', true],
                ['transaction_count', 'integer', 'internal', 'Number of payments', true],
                ['refunds', 'number', 'internal', 'Refunded fees', true],
                ['currency', 'string', 'public', 'ISO 4217 currency code', true],
              ],
              monthlyRevenueRows(),
            ),
          ],
          roles: [readRole('monthly_revenue.read', 'Read monthly revenue')],
        },
      },
    ],
  },
];
