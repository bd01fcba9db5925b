import { AccessTools } from 'src/mcp/tools/access.tools';
import { DataContractTools } from 'src/mcp/tools/datacontract.tools';
import { ExecuteQueryTool } from 'src/mcp/tools/execute-query.tool';
import { FetchTool } from 'src/mcp/tools/fetch.tool';
import { SearchTool } from 'src/mcp/tools/search.tool';
import { TeamsListTool } from 'src/mcp/tools/teams-list.tool';
import { WhoamiTool } from 'src/mcp/tools/whoami.tool';

/** Every provider class that declares `@McpTool` methods. */
export const TOOL_PROVIDERS = [
  WhoamiTool,
  SearchTool,
  FetchTool,
  TeamsListTool,
  DataContractTools,
  AccessTools,
  ExecuteQueryTool,
];
