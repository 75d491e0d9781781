global using System.Text.Json;
