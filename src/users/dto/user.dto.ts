import type { OrganizationRole } from 'src/auth/principal';

export interface UserDto {
  id: string;
  email: string;
  name: string;
  disabled: boolean;
  createdAt: string;
}

export interface OrganizationDto {
  id: string;
  name: string;
  slug: string;
  createdAt: string;
}

export interface MembershipDto {
  organizationId: string;
  organizationSlug: string;
  userId: string;
  email: string;
  role: OrganizationRole;
}
