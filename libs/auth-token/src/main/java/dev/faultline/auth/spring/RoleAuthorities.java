package dev.faultline.auth.spring;

import dev.faultline.auth.Role;
import dev.faultline.auth.TokenClaims;
import java.util.Collection;
import java.util.List;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/** Maps the token's {@code roles} claim to {@code ROLE_CUSTOMER} / {@code ROLE_ADMIN}. */
public final class RoleAuthorities implements Converter<Jwt, Collection<GrantedAuthority>> {

  @Override
  public Collection<GrantedAuthority> convert(Jwt jwt) {
    List<String> roles = jwt.getClaimAsStringList(TokenClaims.ROLES);
    if (roles == null) {
      return List.of();
    }
    return roles.stream()
        .flatMap(
            r -> {
              try {
                return java.util.stream.Stream.of(Role.fromClaim(r));
              } catch (IllegalArgumentException unknownRole) {
                return java.util.stream.Stream.empty(); // a role we do not know grants nothing
              }
            })
        .<GrantedAuthority>map(r -> new SimpleGrantedAuthority("ROLE_" + r.name()))
        .toList();
  }
}
