# The CallControl service as a container image. Build from the repository root:
#   docker build -f freeswitch-conf/callcontrol.Dockerfile -t callcontrol:local .
# (compose.yaml does this; callcontrol.Dockerfile.dockerignore keeps local bin/ and obj/ out of the context).
# Two stages: the .NET SDK publishes, the ASP.NET runtime runs.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
COPY db/migrations/ db/migrations/
RUN dotnet publish src/CallControl/CallControl.csproj -c Release -o /app

# No native packages: the recording jobs transcode WAV to Ogg/Opus in managed code.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# The recordings and archive volumes start as copies of these folders (owner included) when compose first
# creates them, so the unprivileged service can read, archive and delete what FreeSWITCH wrote.
RUN mkdir -p /recordings /archive && chown "$APP_UID" /recordings /archive
# The runtime image's unprivileged user.
USER $APP_UID
ENV ASPNETCORE_URLS=http://0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["./callcontrol", "serve"]
