import { Stack, Table, TableScrollContainer, TableTbody, TableTd, TableTh, TableThead, TableTr, Text, Title } from "@mantine/core";
import { IconFolders } from "@tabler/icons-react";
import type { Metadata } from "next";
import { CreateProjectForm } from "../../../components/projects/CreateProjectForm.tsx";
import { ProjectName } from "../../../components/projects/ProjectName.tsx";
import { EmptyState } from "../../../components/ui/EmptyState.tsx";
import { AnchorLink } from "../../../components/ui/links.tsx";
import { formatDate } from "../../../lib/format.ts";
import { teamProjects } from "../../../lib/projects.ts";
import { requireSession } from "../../../lib/session.ts";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage() {
  const { team } = await requireSession();
  const projects = await teamProjects(team.id);
  return (
    <Stack gap="lg" maw={960}>
      <div>
        <Title order={1}>Projects</Title>
        <Text c="dimmed">Every run belongs to a project. Choose one in the sidebar to see its runs.</Text>
      </div>
      {projects.length === 0 ? (
        <EmptyState icon={<IconFolders size={24} />} title={`No projects in ${team.name} yet`}>
          Create the first one below; then launch a run in it from <AnchorLink href="/launch">Launch</AnchorLink>.
        </EmptyState>
      ) : (
        <TableScrollContainer minWidth={560}>
          <Table striped highlightOnHover verticalSpacing="sm" aria-label="Projects">
            <TableThead>
              <TableTr>
                <TableTh scope="col">Name</TableTh>
                <TableTh scope="col">Description</TableTh>
                <TableTh scope="col">Created</TableTh>
                <TableTh scope="col">
                  <span className="sr-only">Actions</span>
                </TableTh>
              </TableTr>
            </TableThead>
            <TableTbody>
              {projects.map((project) => (
                <TableTr key={project.id}>
                  <TableTd>
                    <ProjectName id={project.id} name={project.name} canRename={team.role !== "VIEWER"} />
                  </TableTd>
                  <TableTd c={project.description ? undefined : "dimmed"}>{project.description || "–"}</TableTd>
                  <TableTd>{formatDate(project.createdAt)}</TableTd>
                  <TableTd>
                    <AnchorLink href={`/launch?project=${project.id}`} aria-label={`Launch a run in ${project.name}`}>
                      Launch a run
                    </AnchorLink>
                  </TableTd>
                </TableTr>
              ))}
            </TableTbody>
          </Table>
        </TableScrollContainer>
      )}
      {team.role === "VIEWER" ? (
        <Text c="dimmed" size="sm">
          Viewers read the projects of {team.name}; its owners and members create and rename them.
        </Text>
      ) : (
        <CreateProjectForm teamId={team.id} teamName={team.name} />
      )}
    </Stack>
  );
}
