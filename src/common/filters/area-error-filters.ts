import { ExceptionFilter, Global, Injectable, Module } from '@nestjs/common';

/** A filter that renders the errors of one area of the URL space in that area's own format. */
export interface AreaErrorFilter extends ExceptionFilter {
  /** True for the request URLs (path and query) of the area. */
  owns(url: string): boolean;
}

/**
 * The areas that render their own errors, registered by their modules. A controller-bound filter
 * only sees errors raised once routing reached the controller; errors raised earlier (body parsing,
 * size limits) reach the global filter, which hands them to the area that owns the URL. Kept here so
 * the global filter depends on no feature.
 */
@Injectable()
export class AreaErrorFilters {
  private readonly areas: AreaErrorFilter[] = [];

  register(area: AreaErrorFilter): void {
    this.areas.push(area);
  }

  for(url: string): AreaErrorFilter | undefined {
    for (const area of this.areas) if (area.owns(url)) return area;
    return undefined;
  }
}

/** Provides the one AreaErrorFilters to the global filter and to every module. */
@Global()
@Module({ providers: [AreaErrorFilters], exports: [AreaErrorFilters] })
export class AreaErrorFiltersModule {}
