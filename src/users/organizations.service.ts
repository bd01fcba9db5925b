import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Principal } from 'src/auth/principal';
import { isUniqueViolation } from 'src/common/errors/database-errors';
import { conflict, forbidden, invalidArgument, notFound } from 'src/common/errors/domain-error';
import { OrganizationDto } from 'src/users/dto/user.dto';
import { Organization } from 'src/users/organization.entity';

export const SLUG_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/g, '');
}

export function toOrganizationDto(o: Organization): OrganizationDto {
  return { id: o.id, name: o.name, slug: o.slug, createdAt: o.createdAt.toISOString() };
}

@Injectable()
export class OrganizationsService {
  constructor(
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
  ) {}

  async create(
    principal: Principal,
    input: { name: string; slug?: string },
  ): Promise<OrganizationDto> {
    if (principal.kind !== 'system') throw forbidden('Only an operator can create organizations');
    const name = (input.name ?? '').trim();
    if (!name || name.length > 200)
      throw invalidArgument('The organization name must be 1 to 200 characters');
    const slug = input.slug !== undefined ? input.slug.trim() : slugify(name);
    if (!SLUG_PATTERN.test(slug)) {
      throw invalidArgument(
        `"${slug}" is not a valid slug: use 1 to 63 lower-case letters, digits and inner hyphens`,
      );
    }
    try {
      return toOrganizationDto(
        await this.organizations.save(this.organizations.create({ name, slug })),
      );
    } catch (err) {
      if (isUniqueViolation(err))
        throw conflict(`An organization with slug ${slug} already exists`);
      throw err;
    }
  }

  /** Internal lookup (no principal): callers decide what the caller may see. */
  async getBySlug(slug: string): Promise<Organization> {
    const org = await this.organizations.findOneBy({ slug: slug.trim().toLowerCase() });
    if (!org) throw notFound(`Organization ${slug}`);
    return org;
  }

  findById(id: string): Promise<Organization | null> {
    return this.organizations.findOneBy({ id });
  }
}
