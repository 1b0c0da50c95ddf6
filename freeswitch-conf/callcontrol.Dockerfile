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

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# ffmpeg: the recording jobs transcode FreeSWITCH's WAV recordings to Ogg/Opus.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# The runtime image's unprivileged user.
USER $APP_UID
ENV ASPNETCORE_URLS=http://0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["./callcontrol", "serve"]
