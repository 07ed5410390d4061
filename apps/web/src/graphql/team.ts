import { graphql } from "../gql/index.ts";

/** The team settings pages: members, invites, the caller's API tokens and the audit log. */
export const MembersDocument = graphql(`
  query Members($teamId: ID!) {
    members(teamId: $teamId) {
      user {
        id
        email
        name
      }
      role
      joinedAt
    }
  }
`);

export const ChangeMemberRoleDocument = graphql(`
  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {
    changeMemberRole(input: $input) {
      role
    }
  }
`);

export const RemoveMemberDocument = graphql(`
  mutation RemoveMember($teamId: ID!, $userId: ID!) {
    removeMember(teamId: $teamId, userId: $userId) {
      role
    }
  }
`);

export const LeaveTeamDocument = graphql(`
  mutation LeaveTeam($teamId: ID!) {
    leaveTeam(teamId: $teamId) {
      role
    }
  }
`);

export const InvitesDocument = graphql(`
  query Invites($teamId: ID!) {
    invites(teamId: $teamId) {
      id
      role
      email
      prefix
      createdAt
      expiresAt
    }
  }
`);

export const InviteMemberDocument = graphql(`
  mutation InviteMember($input: InviteMemberInput!) {
    inviteMember(input: $input) {
      token
      invite {
        id
        role
        email
        expiresAt
      }
    }
  }
`);

export const RevokeInviteDocument = graphql(`
  mutation RevokeInvite($id: ID!) {
    revokeInvite(id: $id) {
      id
      revokedAt
    }
  }
`);

export const AcceptInviteDocument = graphql(`
  mutation AcceptInvite($token: String!) {
    acceptInvite(token: $token) {
      id
      name
      role
    }
  }
`);

export const ApiTokensDocument = graphql(`
  query ApiTokens {
    me {
      apiTokens {
        id
        name
        prefix
        createdAt
        lastUsedAt
        expiresAt
        revokedAt
      }
    }
  }
`);

export const CreateApiTokenDocument = graphql(`
  mutation CreateApiToken($name: String!, $expiresAt: DateTime) {
    createApiToken(name: $name, expiresAt: $expiresAt) {
      token
      apiToken {
        id
        name
        prefix
        expiresAt
      }
    }
  }
`);

export const RevokeApiTokenDocument = graphql(`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) {
      id
      revokedAt
    }
  }
`);

export const AuditLogDocument = graphql(`
  query AuditLog($teamId: ID!, $first: Int, $after: String) {
    auditLog(teamId: $teamId, first: $first, after: $after) {
      nodes {
        id
        action
        actor {
          id
          email
          name
        }
        subjectType
        subjectId
        detail
        createdAt
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`);
