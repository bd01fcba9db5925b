import { DEMO_AGREEMENTS } from 'src/catalog/demo/demo-agreements';
import type {
  CertificationName,
  DemoAgreement,
  DemoOrganization,
  DemoProduct,
  DemoTeam,
  DemoUser,
} from 'src/catalog/demo/demo-model';
import { ACME_SALES_PRODUCTS } from 'src/catalog/demo/demo-products-acme-sales';
import { ACME_SUPPLY_PRODUCTS } from 'src/catalog/demo/demo-products-acme-supply';
import { GLOBEX_PRODUCTS } from 'src/catalog/demo/demo-products-globex';

/**
 * The demo data set (README, Demo data): two organizations, six users, teams, ten data products
 * with contracts and example tables, and access agreements in every status and lifecycle. Keyed by
 * fixed ids (slugs, emails, external ids) so that seeding is idempotent.
 */

export const DEMO_USERS: DemoUser[] = [
  { email: 'alice@acme.example', name: 'Alice Adams' },
  { email: 'bob@acme.example', name: 'Bob Baker' },
  { email: 'carol@acme.example', name: 'Carol Clark' },
  { email: 'dave@acme.example', name: 'Dave Davis' },
  { email: 'erin@globex.example', name: 'Erin Evans' },
  { email: 'frank@globex.example', name: 'Frank Fischer' },
];

export const DEMO_ORGANIZATIONS: DemoOrganization[] = [
  {
    slug: 'acme',
    name: 'Acme Retail',
    members: [
      { email: 'alice@acme.example', role: 'owner' },
      { email: 'bob@acme.example', role: 'member' },
      { email: 'carol@acme.example', role: 'member' },
      { email: 'dave@acme.example', role: 'member' },
    ],
  },
  {
    slug: 'globex',
    name: 'Globex Financial',
    members: [
      { email: 'erin@globex.example', role: 'owner' },
      { email: 'frank@globex.example', role: 'member' },
      { email: 'carol@acme.example', role: 'member' },
    ],
  },
];

/** Parents come before their children. */
export const DEMO_TEAMS: DemoTeam[] = [
  { organization: 'acme', externalId: 'sales', name: 'Sales', type: 'Domain', members: [] },
  {
    organization: 'acme',
    externalId: 'supply-chain',
    name: 'Supply Chain',
    type: 'Domain',
    members: [],
  },
  {
    organization: 'acme',
    externalId: 'checkout',
    name: 'Checkout',
    type: 'Team',
    parent: 'sales',
    members: [
      { email: 'alice@acme.example', role: 'owner' },
      { email: 'bob@acme.example', role: 'approver' },
    ],
  },
  {
    organization: 'acme',
    externalId: 'marketing',
    name: 'Marketing',
    type: 'Team',
    parent: 'sales',
    members: [
      { email: 'dave@acme.example', role: 'owner' },
      { email: 'carol@acme.example', role: 'member' },
    ],
  },
  {
    organization: 'acme',
    externalId: 'fulfillment',
    name: 'Fulfillment',
    type: 'Team',
    parent: 'supply-chain',
    members: [{ email: 'bob@acme.example', role: 'owner' }],
  },
  {
    organization: 'acme',
    externalId: 'data-platform',
    name: 'Data Platform',
    type: 'Platform Team',
    members: [{ email: 'dave@acme.example', role: 'owner' }],
  },
  {
    organization: 'acme',
    externalId: 'governance',
    name: 'Governance',
    type: 'Governance Group',
    members: [{ email: 'alice@acme.example', role: 'steward' }],
  },
  {
    organization: 'globex',
    externalId: 'payments',
    name: 'Payments',
    type: 'Team',
    members: [{ email: 'erin@globex.example', role: 'owner' }],
  },
  {
    organization: 'globex',
    externalId: 'risk',
    name: 'Risk',
    type: 'Team',
    members: [
      { email: 'frank@globex.example', role: 'owner' },
      { email: 'carol@acme.example', role: 'member' },
    ],
  },
  {
    organization: 'globex',
    externalId: 'finance',
    name: 'Finance',
    type: 'Team',
    members: [
      { email: 'frank@globex.example', role: 'owner' },
      { email: 'erin@globex.example', role: 'approver' },
    ],
  },
];

/** In every organization; rank 1 is best. */
export const DEMO_CERTIFICATIONS: Array<{ name: CertificationName; rank: number }> = [
  { name: 'Gold', rank: 1 },
  { name: 'Silver', rank: 2 },
  { name: 'Bronze', rank: 3 },
];

export const DEMO_PRODUCTS: DemoProduct[] = [
  ...ACME_SALES_PRODUCTS,
  ...ACME_SUPPLY_PRODUCTS,
  ...GLOBEX_PRODUCTS,
];

export interface DemoDataSet {
  organizations: DemoOrganization[];
  users: DemoUser[];
  teams: DemoTeam[];
  certifications: typeof DEMO_CERTIFICATIONS;
  products: DemoProduct[];
  agreements: DemoAgreement[];
}

export const DEMO_DATA: DemoDataSet = {
  organizations: DEMO_ORGANIZATIONS,
  users: DEMO_USERS,
  teams: DEMO_TEAMS,
  certifications: DEMO_CERTIFICATIONS,
  products: DEMO_PRODUCTS,
  agreements: DEMO_AGREEMENTS,
};
