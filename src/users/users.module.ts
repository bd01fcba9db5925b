import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Membership } from 'src/users/membership.entity';
import { MembershipsService } from 'src/users/memberships.service';
import { Organization } from 'src/users/organization.entity';
import { OrganizationsService } from 'src/users/organizations.service';
import { User } from 'src/users/user.entity';
import { UsersService } from 'src/users/users.service';
import { IdentityService } from 'src/users/identity.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, Organization, Membership])],
  providers: [UsersService, OrganizationsService, MembershipsService, IdentityService],
  exports: [UsersService, OrganizationsService, MembershipsService, IdentityService],
})
export class UsersModule {}
