import { NestBootLogger } from 'src/common/logging/nest-boot-logger';

describe('NestBootLogger', () => {
  const make = () => {
    const inner = {
      log: jest.fn(),
      error: jest.fn(),
      warn: jest.fn(),
      debug: jest.fn(),
      verbose: jest.fn(),
      fatal: jest.fn(),
    };
    return { inner, sut: new NestBootLogger(inner) };
  };

  it.each(['RoutesResolver', 'RouterExplorer', 'InstanceLoader', 'NestFactory', 'NestApplication'])(
    "should log Nest's %s start-up lines at debug",
    (context) => {
      const { inner, sut } = make();

      sut.log('Mapped {/mcp, POST} route', context);

      expect(inner.debug).toHaveBeenCalledWith('Mapped {/mcp, POST} route', context);
      expect(inner.log).not.toHaveBeenCalled();
    },
  );

  it('should pass every other call through unchanged', () => {
    const { inner, sut } = make();

    sut.log({ url: 'http://x' }, 'ready', 'Bootstrap');
    sut.log('no context');
    sut.warn('careful', 'RoutesResolver');
    sut.error('failed', 'stack', 'RouterExplorer');
    sut.debug('detail', 'X');
    sut.verbose('more', 'X');
    sut.fatal('down', 'X');

    expect(inner.log.mock.calls).toEqual([
      [{ url: 'http://x' }, 'ready', 'Bootstrap'],
      ['no context'],
    ]);
    expect(inner.warn).toHaveBeenCalledWith('careful', 'RoutesResolver');
    expect(inner.error).toHaveBeenCalledWith('failed', 'stack', 'RouterExplorer');
    expect(inner.debug).toHaveBeenCalledWith('detail', 'X');
    expect(inner.verbose).toHaveBeenCalledWith('more', 'X');
    expect(inner.fatal).toHaveBeenCalledWith('down', 'X');
  });
});
