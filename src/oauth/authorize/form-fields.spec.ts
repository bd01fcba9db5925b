import { AuthorizeError } from 'src/oauth/authorize/authorize.errors';
import { formField } from 'src/oauth/authorize/form-fields';

describe('formField', () => {
  it('should read a string field and treat empty, missing and non-string values as absent', () => {
    const body = { email: 'a@x.example', empty: '', number: 3, object: { a: 1 } };
    expect(formField(body, 'email')).toBe('a@x.example');
    expect(formField(body, 'empty')).toBeUndefined();
    expect(formField(body, 'missing')).toBeUndefined();
    expect(formField(body, 'number')).toBeUndefined();
    expect(formField(body, 'object')).toBeUndefined();
    expect(formField(undefined, 'email')).toBeUndefined();
    expect(formField('email=a', 'email')).toBeUndefined();
  });

  it('should not read inherited properties', () => {
    expect(formField({}, 'toString')).toBeUndefined();
    expect(formField(Object.create({ email: 'inherited' }), 'email')).toBeUndefined();
  });

  it('should refuse a repeated field and a NUL character with a 400 error', () => {
    expect(() => formField({ action: ['allow', 'deny'] }, 'action')).toThrow(AuthorizeError);
    expect(() => formField({ action: ['allow', 'deny'] }, 'action')).toThrow(/more than once/);
    expect(() => formField({ email: 'a\u0000@x' }, 'email')).toThrow(/NUL character/);
  });
});
